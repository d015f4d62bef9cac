"""golive's benchmarks: generated worlds of every size, the minimum AWS calls each needs, and the
runs that price them (bench/README.md). Scripts, not tests: tests/test_bench_smallest.py holds
the smallest size's call counts in CI."""
