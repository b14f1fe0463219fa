#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| aibom_fuzz::parquet_target(data));
