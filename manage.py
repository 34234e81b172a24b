#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    # Development's default, so `make run` and `make test` need nothing set.
    # Servers (helpcenter.wsgi, helpcenter.asgi) have no default, and with
    # DEBUG off every settings module but development's needs a real
    # SECRET_KEY (guides.operations.startup, checked once the apps load).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcenter.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
