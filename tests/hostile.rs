//! A tree that fights back, scanned by the built binary.
//!
//! `fixtures/adversarial.py` builds, in a temporary directory at test time, every hostile case
//! the scanner must survive (a 2^63 header length, a GGUF claiming 2^60 keys, a nested zip bomb,
//! a 10 GB sparse file, links out of the tree and in loops, a FIFO, a socket, files and
//! directories without permissions, 100,000 empty files, JSON nested 100,000 deep, a 64 MiB line)
//! and prints what finding each case must yield. The scan must finish within the time and memory
//! budgets, name every case, and leave the tree exactly as it found it.
//!
//! A second tree holds pickles whose payload would create a marker file if anything ever
//! unpickled them; every subcommand in the clap definition runs over it, in every output format,
//! and the marker must never appear.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clap::CommandFactory;

const BIN: &str = env!("CARGO_BIN_EXE_aibom");
const MAX_RSS_BYTES: u64 = 200 * 1024 * 1024;
const MAX_WALL: Duration = Duration::from_secs(60);

fn under_ci() -> bool {
    std::env::var_os("CI").is_some()
}

/// `python3`, or `None` with a loud note outside CI (under CI its absence fails).
fn python() -> Option<&'static str> {
    let found = Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        return Some("python3");
    }
    assert!(
        !under_ci(),
        "python3 is needed to build the adversarial tree"
    );
    eprintln!("SKIPPED: python3 not found; the adversarial tree cannot be built");
    None
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Every path under `root` with its type, size, mode and modification time: equal before and
/// after a command means the command wrote nothing there.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, String> {
    use std::os::unix::fs::MetadataExt;
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            out.insert(
                path.clone(),
                format!(
                    "{:?} {} {:o} {}.{}",
                    meta.file_type(),
                    meta.len(),
                    meta.mode(),
                    meta.mtime(),
                    meta.mtime_nsec()
                ),
            );
            if meta.is_dir() {
                stack.push(path);
            }
        }
    }
    out
}

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
    wall: Duration,
    max_rss_bytes: u64,
}

/// `VmHWM` (peak resident set) of a process, in bytes.
fn peak_rss_of(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Runs the binary and measures its peak resident set.
///
/// `wait4` gives the child's exact `ru_maxrss`, but on Linux that value also counts the
/// parent's memory the child shared before `exec` (std spawns with `vfork`), so it is only
/// trusted when it exceeds this test process's own peak. Otherwise the child's `VmHWM`, polled
/// every few milliseconds while it runs, is used.
fn run_measured(args: &[&std::ffi::OsStr], env: &[(&str, &Path)]) -> Run {
    let out_dir = tempfile::tempdir().unwrap();
    let stdout_path = out_dir.path().join("stdout");
    let stderr_path = out_dir.path().join("stderr");
    let started = Instant::now();
    let mut command = Command::new(BIN);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).unwrap())
        .stderr(std::fs::File::create(&stderr_path).unwrap());
    for (key, value) in env {
        command.env(key, value);
    }
    let child = command.spawn().unwrap();
    let pid = child.id() as libc::pid_t;
    let own_peak = peak_rss_of("self").unwrap_or(0);
    let mut polled = 0;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet waited for; the pointers are valid.
        let waited = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        assert!(waited >= 0, "wait4 failed");
        if waited == pid {
            break;
        }
        polled = polled.max(peak_rss_of(&pid.to_string()).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(5));
    }
    std::mem::forget(child);
    let exact = usage.ru_maxrss as u64 * 1024;
    let wall = started.elapsed();
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -libc::WTERMSIG(status)
    };
    Run {
        stdout: std::fs::read_to_string(&stdout_path).unwrap(),
        stderr: std::fs::read_to_string(&stderr_path).unwrap(),
        code,
        wall,
        // ru_maxrss is in kilobytes on Linux.
        max_rss_bytes: if exact > own_peak { exact } else { polled },
    }
}

/// Restores permissions the generator removed, so the temporary directory can be deleted.
fn unlock(root: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for path in ["models/locked-dir", "models/locked/model.safetensors"] {
        let _ = std::fs::set_permissions(root.join(path), std::fs::Permissions::from_mode(0o755));
    }
}

#[test]
fn adversarial_tree_is_scanned_within_budget_and_every_case_is_reported() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("tree");
    let generator = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/adversarial.py");
    let generated = Command::new(python)
        .arg(&generator)
        .arg(&root)
        .output()
        .unwrap();
    assert!(
        generated.status.success(),
        "adversarial.py failed: {}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let cases: Vec<serde_json::Value> = serde_json::from_slice(&generated.stdout).unwrap();
    let before = snapshot(&root);
    let cache = dir.path().join("cache");

    let run = run_measured(
        &[
            "scan".as_ref(),
            root.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
            "--jobs".as_ref(),
            "2".as_ref(),
        ],
        &[("XDG_CACHE_HOME", &cache), ("HOME", dir.path())],
    );
    unlock(&root);
    let after = snapshot(&root);
    eprintln!(
        "adversarial scan: {:?} wall, {} MiB peak RSS, exit {}",
        run.wall,
        run.max_rss_bytes / (1024 * 1024),
        run.code
    );
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}: {}",
        run.code,
        run.stderr
    );
    assert!(
        run.max_rss_bytes <= MAX_RSS_BYTES,
        "peak RSS {} MiB is over the 200 MiB budget",
        run.max_rss_bytes / (1024 * 1024)
    );
    assert!(run.wall <= MAX_WALL, "the scan took {:?}", run.wall);
    // The permissions the generator removed were restored by `unlock`; nothing else changed.
    let changed: Vec<_> = before
        .iter()
        .filter(|(path, state)| after.get(*path) != Some(*state))
        .map(|(path, _)| path.clone())
        .filter(|p| !p.ends_with("models/locked-dir") && !p.ends_with("locked/model.safetensors"))
        .collect();
    assert!(changed.is_empty(), "the scan changed {changed:?}");
    assert_eq!(
        before.len(),
        after.len(),
        "the scan created or removed files"
    );

    let output: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = output["findings"].as_array().expect("findings in the JSON");
    let root_reads = is_root();
    for case in &cases {
        let path = case["path"].as_str().unwrap();
        let fragment = case["message"].as_str().unwrap();
        let name = case["case"].as_str().unwrap();
        let hit = findings.iter().find(|f| {
            let at = f["location"]["path"].as_str().unwrap_or_default();
            let message = f["message"].as_str().unwrap_or_default();
            (at == path || message.starts_with(path)) && message.contains(fragment)
        });
        if case["root_reads_it"].as_bool() == Some(true) && root_reads {
            // Root reads a 0-permission file: there is nothing to report, and the test says so.
            eprintln!("NOTE: running as root, so `{name}` is readable; checked that it was read");
            assert!(
                hit.is_none(),
                "{name}: reported as unreadable although root read it"
            );
            continue;
        }
        let near: Vec<_> = findings
            .iter()
            .filter(|f| f["message"].as_str().unwrap_or_default().contains(path))
            .map(|f| f["message"].as_str().unwrap_or_default())
            .collect();
        assert!(
            hit.is_some(),
            "{name}: no finding at {path} mentioning {fragment:?}; findings there: {near:#?}"
        );
    }
    // Nothing was read from outside the tree through the link to `/`.
    assert!(
        !run.stdout.contains("etc/passwd"),
        "a link out of the tree was followed"
    );
}

/// The bytes of a protocol-2 pickle calling `module.name(argument)`.
fn calling_pickle(module: &str, name: &str, argument: &str) -> Vec<u8> {
    let mut out = b"\x80\x02c".to_vec();
    out.extend_from_slice(format!("{module}\n{name}\n").as_bytes());
    out.push(b'X');
    out.extend_from_slice(&(argument.len() as u32).to_le_bytes());
    out.extend_from_slice(argument.as_bytes());
    out.extend_from_slice(b"\x85R.");
    out
}

/// A stored zip archive of `entries` (a torch checkpoint when one is `archive/data.pkl`).
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        zip.start_file(*name, stored).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A tree of pickles that would each create `marker` when loaded.
fn malicious_tree(root: &Path, marker: &Path) {
    let touch = format!("touch {}", marker.display());
    let exec = format!("open({:?}, 'w').close()", marker.display().to_string());
    let system = calling_pickle("os", "system", &touch);
    let posix = calling_pickle("posix", "system", &touch);
    let builtins = calling_pickle("builtins", "exec", &exec);
    // Each file imports a different callable: the scan reports one import once per model.
    let eval = calling_pickle(
        "builtins",
        "eval",
        &format!("__import__('os').system({touch:?})"),
    );
    let getoutput = calling_pickle("subprocess", "getoutput", &touch);
    let popen = calling_pickle("os", "popen", &touch);
    let models = root.join("models/evil");
    std::fs::create_dir_all(&models).unwrap();
    std::fs::write(models.join("model.pkl"), &system).unwrap();
    std::fs::write(models.join("pytorch_model.bin"), &posix).unwrap();
    std::fs::write(models.join("optimizer.pt"), &builtins).unwrap();
    std::fs::write(models.join("scaler.joblib"), &eval).unwrap();
    std::fs::write(
        models.join("checkpoint.pt"),
        zip_of(&[
            ("archive/data.pkl", &getoutput),
            ("archive/version", b"3\n"),
        ]),
    )
    .unwrap();
    let mut npy = b"\x93NUMPY\x01\x00".to_vec();
    let header = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }";
    let padded = format!("{header:<118}\n");
    npy.extend_from_slice(&(padded.len() as u16).to_le_bytes());
    npy.extend_from_slice(padded.as_bytes());
    npy.extend_from_slice(&popen);
    std::fs::write(models.join("array.npy"), &npy).unwrap();
    std::fs::write(models.join("arrays.npz"), zip_of(&[("a.npy", &npy)])).unwrap();
    std::fs::write(
        models.join("README.md"),
        "---\nlicense: apache-2.0\n---\n# evil\n",
    )
    .unwrap();
}

/// Argument lists that exercise one subcommand: every `--format` value, and `--output` to a file
/// outside the tree where the command has one.
fn invocations(sub: &clap::Command, tree: &Path, out_dir: &Path) -> Vec<Vec<std::ffi::OsString>> {
    let name = sub.get_name().to_owned();
    let mut base: Vec<std::ffi::OsString> = vec![name.clone().into()];
    let mut formats = Vec::new();
    let mut has_output = false;
    for arg in sub.get_arguments() {
        let id = arg.get_id().as_str();
        match id {
            "path" => base.push(tree.into()),
            "format" => {
                formats = arg
                    .get_possible_values()
                    .iter()
                    .map(|v| v.get_name().to_owned())
                    .collect();
            }
            "output" => has_output = true,
            _ if arg.is_required_set() => {
                panic!("hostile.rs does not know how to fill `{id}` for `aibom {name}`: teach it")
            }
            _ => {}
        }
    }
    let outside = |mut run: Vec<std::ffi::OsString>| {
        run.extend([
            "--output".into(),
            out_dir.join(format!("{name}.out")).into(),
        ]);
        run
    };
    // A command with an output file but no format (`init`) writes that file by design: it is
    // pointed outside the tree, so anything written inside is a bug.
    let mut runs = if has_output && formats.is_empty() {
        vec![outside(base.clone())]
    } else {
        vec![base.clone()]
    };
    for format in &formats {
        let mut run = base.clone();
        run.extend(["--format".into(), format.into()]);
        runs.push(run);
    }
    if has_output && !formats.is_empty() {
        runs.push(outside(base));
    }
    runs
}

#[test]
fn no_command_ever_executes_a_pickle_or_writes_in_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    let marker_dir = dir.path().join("markers");
    let out_dir = dir.path().join("out");
    std::fs::create_dir_all(&marker_dir).unwrap();
    std::fs::create_dir_all(&out_dir).unwrap();
    let marker = marker_dir.join("pwned");
    malicious_tree(&tree, &marker);
    let before = snapshot(&tree);

    let cli = aibom::cli::Cli::command();
    let mut ran = Vec::new();
    for sub in cli.get_subcommands() {
        for args in invocations(sub, &tree, &out_dir) {
            let output = Command::new(BIN)
                .args(&args)
                .env("XDG_CACHE_HOME", dir.path().join("cache"))
                .env("HOME", dir.path())
                .stdin(Stdio::null())
                .output()
                .unwrap();
            let shown = format!(
                "aibom {}",
                args.iter()
                    .map(|a| a.to_string_lossy())
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            assert!(
                output.status.code().is_some_and(|c| c <= 2),
                "{shown} crashed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(!marker.exists(), "{shown} executed a pickle payload");
            assert_eq!(
                snapshot(&tree),
                before,
                "{shown} wrote inside the scanned tree"
            );
            ran.push(shown);
        }
    }
    // The scan saw the payloads (so the absence of the marker means something).
    let scan = Command::new(BIN)
        .args([
            "scan".as_ref(),
            tree.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ])
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&scan.stdout).unwrap();
    let flagged: Vec<_> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "MOD001")
        .filter_map(|f| f["location"]["path"].as_str())
        .collect();
    for file in [
        "model.pkl",
        "pytorch_model.bin",
        "optimizer.pt",
        "checkpoint.pt",
        "scaler.joblib",
        "array.npy",
    ] {
        assert!(
            flagged.iter().any(|p| p.ends_with(file)),
            "{file} not flagged by MOD001: {flagged:?}"
        );
    }
    assert!(ran.len() >= 5, "too few invocations: {ran:#?}");
    assert!(ran.iter().any(|r| r.starts_with("aibom init")));
}

/// A file that changes between the walk and the read (shrinks, grows, or was truncated): every
/// parser reads what is there, against a size that is now wrong, and returns a value.
#[test]
fn files_that_change_size_during_a_scan_do_not_panic() {
    use aibom::artifact::parsed::parse_file;
    use aibom::detect::detect;
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files = Vec::new();
    let mut stack = vec![fixtures];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                files.push((path, meta.len()));
            }
        }
    }
    files.sort();
    let mut parsed = 0;
    for (path, size) in &files {
        let Some(kind) = detect(&path.to_string_lossy()) else {
            continue;
        };
        for claimed in [0, size / 2, size + 1, size * 2 + 4096, u64::MAX] {
            let _ = parse_file(path, kind, claimed);
        }
        parsed += 1;
    }
    assert!(parsed > 50, "only {parsed} fixture artefacts found");
}

/// A pickle stream past the per-file stream limit is not walked, and the scan says so (a
/// loader that keeps calling `pickle.load` would reach it).
#[test]
fn pickle_streams_past_the_limit_are_reported() {
    use aibom::artifact::{limits, pickle};
    let mut bytes = b"\x80\x02N.".repeat(limits::PICKLE_STREAMS);
    bytes.extend_from_slice(&calling_pickle("os", "system", "true"));
    let scan = pickle::scan(std::io::Cursor::new(&bytes)).unwrap();
    assert_eq!(scan.streams, limits::PICKLE_STREAMS);
    let stop = scan.stopped_at_limit.expect("the limit is reported");
    assert_eq!(stop.limit, "pickle streams");
    assert_eq!(stop.offset, 4 * limits::PICKLE_STREAMS as u64);
    // One stream fewer: everything is walked and the import is seen.
    let walked = pickle::scan(std::io::Cursor::new(&bytes[4..])).unwrap();
    assert!(walked.incomplete.is_none());
    assert!(walked.stopped_at_limit.is_none());
    assert_eq!(walked.dangerous().count(), 1);
}

/// A file replaced by a FIFO between the walk and the read: opening it must not block.
#[test]
fn a_file_swapped_for_a_fifo_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("model.safetensors");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let (done, finished) = std::sync::mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || {
        let parsed = aibom::artifact::parsed::parse_file(
            &path,
            aibom::detect::ArtifactKind::Safetensors,
            1024,
        );
        let _ = done.send(parsed.artifact.map(|_| ()));
    });
    let outcome = finished
        .recv_timeout(Duration::from_secs(10))
        .expect("parse_file blocked on a FIFO");
    let err = outcome.expect_err("a FIFO is not parsed");
    assert!(err.to_string().contains("not a regular file"), "{err}");
}

/// A 1 GB JSON Lines record with no newline is streamed: counted, reported as oversized, never
/// held (the scanner's buffer is fixed; the process would need a gigabyte otherwise).
#[test]
fn a_one_gigabyte_line_is_streamed() {
    use aibom::artifact::corpus::{CorpusFormat, scan_text};
    use std::io::Read;
    let line =
        std::io::Cursor::new(b"{\"text\": \"".to_vec()).chain(std::io::repeat(b'a').take(1 << 30));
    let before = peak_rss_of("self").unwrap_or(0);
    let stats = scan_text(line, CorpusFormat::Jsonl).unwrap();
    assert_eq!(stats.records, 1);
    assert_eq!(stats.oversized_records, 1);
    assert_eq!(stats.bytes, (1 << 30) + 10);
    let grown = peak_rss_of("self").unwrap_or(0).saturating_sub(before);
    assert!(grown < 256 * 1024 * 1024, "peak RSS grew by {grown} bytes");
}

/// Files and directories without permissions, as a user the permissions bind. Root reads
/// everything, so under root the binary runs as `nobody` through `setpriv` (a copy of it, in a
/// folder `nobody` can enter); elsewhere it runs as the current user. Each unreadable path is a
/// finding naming it, an unreadable corpus is reported as not scanned for personal data, and
/// the readable corpus beside them is still scanned.
#[test]
fn unreadable_files_and_directories_are_reported_to_a_user_without_access() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    mode(dir.path(), 0o755);
    let root = dir.path().join("tree");
    let write = |rel: &str, bytes: &[u8]| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
    };
    let chat = b"{\"text\": \"write to jane@acme-mail.com\"}\n";
    write("data/open/chats.jsonl", chat);
    write("data/locked/chats.jsonl", chat);
    write("models/locked-dir/inside/model.safetensors", b"");
    write("models/locked/model.safetensors", b"\x02\0\0\0\0\0\0\0{}");
    mode(&root.join("data/locked/chats.jsonl"), 0);
    mode(&root.join("models/locked/model.safetensors"), 0);
    mode(&root.join("models/locked-dir"), 0);

    let mut command = if is_root() {
        let setpriv = Path::new("/usr/bin/setpriv");
        if !setpriv.exists() {
            assert!(!under_ci(), "setpriv (util-linux) is needed under CI");
            eprintln!("SKIPPED: running as root without setpriv; permissions cannot be tested");
            mode(&root.join("models/locked-dir"), 0o755);
            return;
        }
        let bin = dir.path().join("aibom");
        std::fs::copy(BIN, &bin).unwrap();
        mode(&bin, 0o755);
        let mut c = Command::new(setpriv);
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin);
        c
    } else {
        Command::new(BIN)
    };
    let out = command
        .args(["scan", "--no-cache", "--format", "json"])
        .arg(&root)
        .env("HOME", dir.path())
        .output()
        .unwrap();
    mode(&root.join("models/locked-dir"), 0o755);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let output: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings: Vec<(String, String)> = output["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let at = f["location"]["path"].as_str().unwrap_or_default();
            (
                at.to_owned(),
                f["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let reported = |path: &str, fragment: &str| {
        findings.iter().any(|(at, message)| {
            (at == path || message.contains(path)) && message.contains(fragment)
        })
    };
    for path in [
        "models/locked/model.safetensors",
        "models/locked-dir",
        "data/locked/chats.jsonl",
    ] {
        assert!(
            reported(path, "Permission denied"),
            "{path}: no permission finding in {findings:#?}"
        );
    }
    assert!(
        reported(
            "data/locked/chats.jsonl",
            "could not be scanned for personal data"
        ),
        "{findings:#?}"
    );
    assert!(
        reported("data/open/chats.jsonl", "j***@a***.com"),
        "the readable corpus is scanned: {findings:#?}"
    );
}
