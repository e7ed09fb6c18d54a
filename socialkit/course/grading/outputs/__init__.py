"""Outputs: grades.csv, problems.csv, feedback and the summary (``report``), written answers by
question (``manual``), gradebook imports for Canvas and Moodle (``gradebook``); every CSV goes
through ``tables``, which holds the spreadsheet-safety rule once."""
