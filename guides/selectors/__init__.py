"""Reads: for the public side, the admin, history and feedback."""
