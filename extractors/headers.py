"""Old import path of `extractors.interpret.headers`, kept for modules written against it."""
from .interpret.headers import *  # noqa: F401,F403
