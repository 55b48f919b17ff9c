from pgtext.cli import cli

cli(prog_name="pgtext")
