"""Registration: a shared contact proves a phone number, matched to the roster and linked."""
