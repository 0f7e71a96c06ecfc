"""The cascade: the PPS coordinate the next level (Pantarlih, KPPS) of their own desa."""
