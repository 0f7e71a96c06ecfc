"""Attendance: the live recap, absentees, exports and the chart."""
