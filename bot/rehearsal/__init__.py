"""`python -m bot rehearse`: the training day offline against the sandbox with simulated people."""
