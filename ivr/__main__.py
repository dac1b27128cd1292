"""Run the `ivr` command: `python -m ivr check menus.yaml`."""

from ivr.cli import main

main(prog_name="ivr")
