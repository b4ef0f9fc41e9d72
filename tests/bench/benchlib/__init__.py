# tests/bench/benchlib: helpers of the benchmarks in tests/bench/ (not a
# product library): kernel counters, the SMTP load and probe, scratch servers.
