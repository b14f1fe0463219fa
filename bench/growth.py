#!/usr/bin/env python3
"""Performance goal 8 (growth), run by bench/growth.sh; writes bench/RESULTS-growth.md.

The goal: a scan's cost is linear in the bytes of text scanned and in the number of files;
weight files cost O(header) plus hashing, and nothing is read when their hashes are free.

Four series of inputs under the work directory (default bench/work/growth/, git-ignored), each
scanned at several sizes:

  files/N/    N copies of fixtures/rules and fixtures/demo (more files, same kinds)
  text/N/     one chat JSONL corpus of N MB (fixtures/pii/gen_corpus.py, cut at a line end)
  weights/N/  one safetensors file of N MB with a model card, scanned with --no-cache (hashed)
              and again with the hash cache filled (header only)
  hf/N/       a Hugging Face cache repository whose blob is that same file (a hard link): its
              hash is its name, so nothing but the header should be read

Each series is timed with hyperfine, all its sizes in one invocation, over several rounds in
alternating order (so drift in machine load hits every size alike); the medians of all runs are
fitted. A series "grows linearly" when the exponent k of time - t0 ~ size^k (t0: a scan of an
empty directory, the fixed cost) is at most 1.15; a series that must not grow passes when its
largest size takes at most 1.2x its smallest and every size reads or maps at most 1 MB, the
largest no more than 64 KB beyond the smallest. One untimed run per size, under strace, counts the
bytes the scan read (read and pread calls) or mapped from files under the scanned directory; one
more gives the peak RSS.
"""

import argparse
import json
import math
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402  (bench/gen.py: fixture copies and safetensors files)

MB = 10**6
GENERATOR_VERSION = 1
LINEAR_MAX_EXPONENT = 1.15
FLAT_MAX_RATIO = 1.2


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="the aibom binary to time")
    ap.add_argument("--work", default="bench/work/growth")
    ap.add_argument("--fixtures", default="fixtures")
    ap.add_argument("--out", help="default bench/RESULTS-growth.md; with --quick, bench/work/growth/RESULTS-quick.md")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--built-from", default="unknown", help="the commit the binary was built from")
    ap.add_argument("--quick", action="store_true", help="small sizes, one round: checks that everything works")
    a = ap.parse_args()
    # A quick run checks the script; it does not replace the last full run's results.
    a.out = a.out or ("bench/work/growth/RESULTS-quick.md" if a.quick else "bench/RESULTS-growth.md")
    if a.quick:
        a.rounds = 1
        sizes = {"files": [1, 2, 4], "text": [8, 16, 32], "weights": [16, 32, 64]}
    else:
        sizes = {"files": [1, 4, 16, 64], "text": [32, 64, 128, 256], "weights": [128, 256, 512, 1024]}
    tools = {t: shutil.which(t) for t in ("hyperfine", "strace")}
    if not tools["hyperfine"]:
        raise SystemExit("growth: hyperfine is required (Debian package hyperfine)")

    work = os.path.abspath(a.work)
    inputs = generate(work, os.path.abspath(a.fixtures), sizes)
    empty = os.path.join(work, "empty")
    os.makedirs(empty, exist_ok=True)
    warm_cache = os.path.join(work, "cache-warm")
    shutil.rmtree(warm_cache, ignore_errors=True)

    def scan(path, cache, out="timed"):
        """The scan timed (JSON to /dev/null), or the same scan printing its summary or its JSON."""
        cmd = [a.bin, "scan", path, "--fail-on", "never"]
        cmd += {"timed": ["--quiet", "--format", "json", "--output", "/dev/null"],
                "summary": ["--format", "human"], "json": ["--quiet", "--format", "json"]}[out]
        return cmd + (["--no-cache"] if cache is None else [])

    env_for = {None: os.environ.copy()}
    env_for[warm_cache] = dict(os.environ, AIBOM_CACHE_DIR=warm_cache)
    series = [
        Series("files", "number of files", inputs["files"], None, runs=10, grows=True),
        Series("text", "bytes of chat JSONL", inputs["text"], None, runs=5, grows=True),
        Series("weights-cold", "weight bytes, hashed (`--no-cache`)", inputs["weights"], None, runs=3, grows=True),
        Series("weights-warm", "weight bytes, hash cache filled", inputs["weights"], warm_cache, runs=10, grows=False),
        Series("hf", "weight bytes in a Hugging Face cache (hash free)", inputs["hf"], None, runs=10, grows=False),
    ]
    # Fill the warm cache, and check that each weight scan hashed what it should, the way it should:
    # the summary counter that must be 1 (the others 0), and the hash source the JSON must report.
    expected = {"weights-cold": ("computed", "content"), "weights-warm": ("cached", "content"), "hf": ("free", "hf-cache-blob")}
    checks = []
    for s in (s for s in series if s.name in expected):
        counter, source = expected[s.name]
        for p in s.points:
            if s.cache is not None:
                run_checked(scan(p["dir"], s.cache), env_for[s.cache])
            hashes = hash_counts(run_checked(scan(p["dir"], s.cache, "summary"), env_for[s.cache]))
            files = weight_files(run_checked(scan(p["dir"], s.cache, "json"), env_for[s.cache]))
            same_hash = len(files) == 1 and files[0]["sha256"] == p["sha256"]
            reported = files[0].get("hash_source") if files else "none (no weight file reported)"
            ok = (same_hash and reported == source and hashes is not None
                  and all(hashes[k] == (k == counter) for k in ("computed", "cached", "free")))
            checks.append((ok, f"{s.name} {p['label']}: SHA-256 {'as generated' if same_hash else 'NOT as generated'}, "
                               f"hash source {reported}; `{hashes['line'] if hashes else 'no hash summary'}`"))

    t0_runs = []
    for r in range(a.rounds):
        order = series if r % 2 == 0 else list(reversed(series))
        for s in order:
            points = s.points if r % 2 == 0 else list(reversed(s.points))
            cmds = [(p["label"], scan(p["dir"], s.cache)) for p in points]
            if s.name == "files":
                cmds.append(("empty", scan(empty, None)))
            times = hyperfine(cmds, s.runs, env_for[s.cache], work)
            for p in points:
                p.setdefault("times", []).extend(times[p["label"]])
            t0_runs.extend(times.get("empty", []))
    t0 = statistics.median(t0_runs)

    for s in series:
        for p in s.points:
            p["median"] = statistics.median(p["times"])
            p["io"] = bytes_read(scan(p["dir"], s.cache), env_for[s.cache], p["dir"]) if tools["strace"] else None
            p["rss_kb"] = peak_rss_kb(scan(p["dir"], s.cache), env_for[s.cache])

    with open(a.out, "w", encoding="utf-8") as f:
        f.write(report(series, t0, len(t0_runs), checks, a, tools, inputs["text_source"]))
    print(open(a.out, encoding="utf-8").read())


class Series:
    def __init__(self, name, what, points, cache, runs, grows):
        self.name, self.what, self.cache, self.runs, self.grows = name, what, cache, runs, grows
        self.points = [dict(p) for p in points]


# ----------------------------------------------------------------------------------------------
# Inputs


def generate(work, fixtures, sizes):
    """Write the inputs that are missing or were made with other parameters; return the points."""
    os.makedirs(work, exist_ok=True)
    stamp_path = os.path.join(work, "stamp.json")
    try:
        with open(stamp_path, encoding="utf-8") as f:
            done = json.load(f)
    except (OSError, ValueError):
        done = {}
    if done.get("generator_version") != GENERATOR_VERSION:
        done = {}
    done["generator_version"] = GENERATOR_VERSION

    def save():
        with open(stamp_path, "w", encoding="utf-8") as f:
            json.dump(done, f, indent=1)

    points = {"files": [], "text": [], "weights": [], "hf": []}
    for n in sizes["files"]:
        key = f"files/{n}"
        if key not in done:
            info = gen.gen_corpus(work, key, fixtures, n)
            done[key] = {"files": info["files"], "bytes": info["bytes"]}
            save()
        points["files"].append({"label": f"{n} {'copy' if n == 1 else 'copies'}", "dir": os.path.join(work, key), "x": done[key]["files"], "x_text": f"{done[key]['files']} files"})

    # One corpus of the largest size; the smaller ones are its first lines.
    largest = max(sizes["text"])
    source = os.path.join(work, "text-source", "bench.jsonl")
    if done.get("text-source") != largest or not os.path.isfile(source):
        shutil.rmtree(os.path.join(work, "text-source"), ignore_errors=True)
        subprocess.run([sys.executable, os.path.join(fixtures, "pii", "gen_corpus.py"), "--out", os.path.dirname(source), "--bench-mb", str(largest)], check=True, stdout=subprocess.DEVNULL)
        done = {k: v for k, v in done.items() if not k.startswith("text/")}
        done["text-source"] = largest
        save()
    for n in sizes["text"]:
        key = f"text/{n}"
        path = os.path.join(work, key, "data", "chats.jsonl")
        if key not in done or not os.path.isfile(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            done[key] = {"bytes": copy_lines(source, path, n * MB)}
            save()
        points["text"].append({"label": f"{n} MB", "dir": os.path.join(work, key), "x": done[key]["bytes"], "x_text": f"{done[key]['bytes'] / MB:.1f} MB"})

    block = None
    for n in sizes["weights"]:
        key = f"weights/{n}"
        path = os.path.join(work, key, "models", "acme-growth", "model.safetensors")
        if key not in done or not os.path.isfile(path):
            block = block or gen.block_source(gen.SEED)
            sha, _ = gen.write_weights(path, n * MB, "layers", 4, gen.SEED + n, block)
            gen.write_text(os.path.join(os.path.dirname(path), "README.md"), gen.CARD)
            gen.write_text(os.path.join(os.path.dirname(path), "config.json"), gen.CONFIG)
            # Older than the hash cache's window for files changed just before a scan (3 s), so
            # that the warm series is served from the cache from its first run.
            settled = os.stat(path).st_mtime - 60
            os.utime(path, (settled, settled))
            done[key] = {"bytes": n * MB, "sha256": sha}
            done.pop(f"hf/{n}", None)
            save()
        sha = done[key]["sha256"]
        points["weights"].append({"label": f"{n} MB", "dir": os.path.join(work, key), "x": n * MB, "x_text": f"{n} MB", "sha256": sha})

        # The Hugging Face cache layout: blobs named by their hash, snapshot entries linking to them.
        hkey = f"hf/{n}"
        repo = os.path.join(work, hkey, "hub", "models--acme--growth")
        if hkey not in done or not os.path.isfile(os.path.join(repo, "blobs", sha)):
            shutil.rmtree(os.path.join(work, hkey), ignore_errors=True)
            commit = f"{n:040x}"
            os.makedirs(os.path.join(repo, "blobs"))
            os.makedirs(os.path.join(repo, "snapshots", commit))
            try:
                os.link(path, os.path.join(repo, "blobs", sha))
            except OSError:  # a file system without hard links: a copy reads the same
                shutil.copyfile(path, os.path.join(repo, "blobs", sha))
            os.symlink(f"../../blobs/{sha}", os.path.join(repo, "snapshots", commit, "model.safetensors"))
            gen.write_text(os.path.join(repo, "refs", "main"), commit)
            done[hkey] = {"bytes": n * MB}
            save()
        points["hf"].append({"label": f"{n} MB", "dir": os.path.join(work, hkey), "x": n * MB, "x_text": f"{n} MB", "sha256": sha})
    return dict(points, text_source=done["text-source"])


def copy_lines(source, dest, limit):
    """Copy whole lines of `source` to `dest` until `limit` bytes; return the bytes written."""
    written = 0
    with open(source, "rb") as src, open(dest, "wb") as out:
        for line in src:
            if written + len(line) > limit:
                break
            out.write(line)
            written += len(line)
    return written


# ----------------------------------------------------------------------------------------------
# Measuring


def run_checked(cmd, env):
    """Run a scan; its output (both streams). A scan that could not run stops the benchmark."""
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"growth: `{shlex.join(cmd)}` exited with {proc.returncode}:\n{proc.stderr[-2000:]}")
    return proc.stdout + proc.stderr


def hash_counts(output):
    m = re.search(r"hashes: (\d+) computed \(([^)]*)\), (\d+) from cache, (\d+) free[^\n]*", output)
    if not m:
        return None
    return {"line": m.group(0), "computed": int(m.group(1)), "cached": int(m.group(3)), "free": int(m.group(4))}


def weight_files(output):
    """The weight files a JSON scan reports, with their hashes."""
    doc = json.loads(output)
    return [f for c in doc["components"] for f in c.get("files", []) if f.get("kind") == "safetensors"]


def hyperfine(cmds, runs, env, work):
    """Median-ready run times in seconds, per command label."""
    with tempfile.NamedTemporaryFile(suffix=".json", dir=work, delete=False) as tmp:
        export = tmp.name
    args = ["hyperfine", "-N", "--style", "basic", "--warmup", "1", "--runs", str(runs), "--export-json", export]
    for label, cmd in cmds:
        args += ["--command-name", label, shlex.join(cmd)]
    subprocess.run(args, env=env, check=True, stdout=sys.stderr)
    with open(export, encoding="utf-8") as f:
        results = json.load(f)["results"]
    os.unlink(export)
    return {r["command"]: r["times"] for r in results}


def bytes_read(cmd, env, root):
    """Bytes read (read, pread, readv results) and mapped (`mmap` lengths) from files under `root`
    by one run of `cmd`, as (read, mapped)."""
    root = os.path.realpath(root)
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["strace", "-f", "-ff", "-y", "-qq", "-e", "trace=read,pread64,readv,preadv,preadv2,mmap", "-o", os.path.join(d, "t"), *cmd], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        read = mapped = 0
        call = re.compile(r"^(\w+)\((\d+)<([^>]*)>(.*)\)\s+=\s+(\d+)")
        mmap = re.compile(r"^mmap\([^,]+, (\d+), [^,]+, [^,]+, (\d+)<([^>]*)>")
        for name in os.listdir(d):
            with open(os.path.join(d, name), encoding="utf-8", errors="replace") as f:
                for line in f:
                    m = mmap.match(line)
                    if m and under(m.group(3), root):
                        mapped += int(m.group(1))
                        continue
                    m = call.match(line)
                    if m and m.group(1) != "mmap" and under(m.group(3), root):
                        read += int(m.group(5))
        return read, mapped


def under(path, root):
    return path == root or path.startswith(root + "/")


def version(binary):
    return subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip() or "(version unknown)"


def peak_rss_kb(cmd, env):
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss


# ----------------------------------------------------------------------------------------------
# Report


def exponent(points, t0):
    """k in (t - t0) ~ x^k by least squares on logs, or None when a time is not above t0."""
    pairs = [(math.log(p["x"]), math.log(p["median"] - t0)) for p in points if p["median"] > t0]
    if len(pairs) < len(points) or len(pairs) < 2:
        return None
    mx = statistics.fmean(x for x, _ in pairs)
    my = statistics.fmean(y for _, y in pairs)
    return sum((x - mx) * (y - my) for x, y in pairs) / sum((x - mx) ** 2 for x, _ in pairs)


def fmt_bytes(n):
    if n is None:
        return "not measured"
    for unit, size in (("GB", 10**9), ("MB", MB), ("KB", 10**3)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} B"


def report(series, t0, t0_count, checks, a, tools, text_source):
    lines = ["# Goal 8: growth\n", "Generated by `bench/growth.sh`; do not edit.\n"]
    load = os.getloadavg()
    lines.append(f"Machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores, load average {load[0]:.2f} at the end. "
                 f"{a.rounds} round(s); {version(a.bin)} built from commit {a.built_from}, default threads. "
                 f"Fixed cost t0 (a scan of an empty directory): median {t0 * 1000:.1f} ms over {t0_count} runs.\n")
    lines.append("| Series | Measured | Target | Result |\n|---|---|---|---|")
    verdicts = []
    for s in series:
        small, large = s.points[0], s.points[-1]
        if s.grows:
            k = exponent(s.points, t0)
            ok = k is not None and k <= LINEAR_MAX_EXPONENT
            measured = f"exponent k = {k:.2f}" if k is not None else "no fit (a time at or below t0)"
            target = f"time − t0 ∝ size^k, k ≤ {LINEAR_MAX_EXPONENT}"
        else:
            ratio = large["median"] / small["median"]
            ok = ratio <= FLAT_MAX_RATIO
            measured = f"{large['x_text']} / {small['x_text']}: time ratio {ratio:.2f}"
            if small["io"] is not None:
                touched = [sum(p["io"]) for p in s.points]
                ok = ok and max(touched) <= 1 << 20 and touched[-1] - touched[0] <= 64 << 10
                measured += f"; bytes read or mapped {fmt_bytes(touched[0])} → {fmt_bytes(touched[-1])}"
            target = f"time ratio ≤ {FLAT_MAX_RATIO}; ≤ 1 MB read or mapped, not growing"
        verdicts.append(ok)
        lines.append(f"| {s.name}: {s.what} | {measured} | {target} | **{'PASS' if ok else 'FAIL'}** |")
    lines.append("")
    lines.append("### Checks\n")
    for ok, text in checks:
        lines.append(f"- {'PASS' if ok else 'FAIL'}: {text}")
    if not tools["strace"]:
        lines.append("- not measured: bytes read (strace is not installed)")
    lines.append("")
    for s in series:
        lines.append(f"## {s.name}: {s.what}\n")
        lines.append("| Size | Input | runs | median | min | max | marginal cost | bytes read | bytes mapped | peak RSS |")
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        prev = None
        for p in s.points:
            marginal = "" if s.grows else "—"
            if s.grows and prev is not None:
                dt = p["median"] - prev["median"]
                if s.name == "files":
                    marginal = f"{dt / (p['x'] - prev['x']) * 1e6:.1f} µs/file"
                elif dt > 0:
                    marginal = f"{(p['x'] - prev['x']) / dt / MB:.0f} MB/s"
                else:
                    marginal = "none"
            read, mapped = p["io"] or (None, None)
            lines.append(f"| {p['label']} | {p['x_text']} | {len(p['times'])} | {p['median'] * 1000:.1f} ms | {min(p['times']) * 1000:.1f} ms | "
                         f"{max(p['times']) * 1000:.1f} ms | {marginal} | {fmt_bytes(read)} | {fmt_bytes(mapped)} | {p['rss_kb'] / 1000:.1f} MB |")
            prev = p
        lines.append("")
    lines.append("Inputs: `files` holds N copies of `fixtures/rules/` and `fixtures/demo/`; `text` the first lines of one "
                 f"{text_source} MB chat JSONL from `fixtures/pii/gen_corpus.py --bench-mb`; `weights` one safetensors file with a "
                 "card and config; `hf` a Hugging Face cache repository whose blob is a hard link to that file. Marginal cost: "
                 "between a size and the one before it (per file, or bytes per second of added input). Bytes read and mapped: "
                 "one run under strace, adding up the results of `read`/`pread`/`readv` calls and the lengths of `mmap` calls on "
                 "files under the scanned directory (the PII engine maps each chunk of a corpus to the end of the file, so "
                 "its mapped bytes count address space, not pages read). Peak RSS: one more run.\n")
    lines.append(f"Overall: **{'PASS' if all(verdicts) and all(ok for ok, _ in checks) else 'FAIL'}**\n")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
