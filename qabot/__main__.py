"""`python -m qabot ...` is the same as `qabot ...`."""

from qabot.cli import main

main()
