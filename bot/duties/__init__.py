"""Duties after the Bimtek: reminders, completion per member or desa, recaps and the digest."""
