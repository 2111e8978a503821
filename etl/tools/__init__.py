"""Tools beside the library: the demo workspace generator and the benchmarks."""
