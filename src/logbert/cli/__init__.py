"""Command-line interface: one module per command, registered in `logbert.cli.main`."""
