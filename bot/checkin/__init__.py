"""Check-in at the Bimtek: rotating codes, QR links, location radius, the rules that decide."""
