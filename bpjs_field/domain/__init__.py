"""Domain rules of BPJS Ketenagakerjaan registration: pure functions, no I/O beyond reading reference data."""
