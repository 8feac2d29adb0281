"""Shared parts of the response checks (`stages/check_*.py` that flag rows after the engine): the base
class, reading a seed description back into facts, and the word lists each check matches against."""
