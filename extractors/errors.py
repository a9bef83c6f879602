"""Errors whose message is written for the person who gave us the file."""


class UnreadableFile(ValueError):
    """This file cannot be read; ``str(error)`` says why in words a user can act on."""
