"""Who is who: the PPS/PPK roster import, coordinator grants, synthetic rosters."""
