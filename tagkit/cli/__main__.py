"""``python -m tagkit.cli``: the same as the ``tagkit`` command."""

from . import main

if __name__ == "__main__":
    main(prog_name="tagkit")
