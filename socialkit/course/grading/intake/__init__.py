"""Intake and records: the autograder, the class's submissions and who handed them in, the
snapshot every file is graded from, tamper checks, and the signed record store."""
