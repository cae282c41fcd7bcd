"""`python -m careguide` runs the CLI."""

from careguide.cli import app

app(prog_name="careguide")
