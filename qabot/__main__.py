"""`python -m qabot ...` is the same as `qabot ...`."""

from qabot.faces import main

main()
