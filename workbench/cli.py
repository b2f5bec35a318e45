"""The ``workbench`` console script, one subcommand per module of commands.

It only parses arguments and turns the project's errors into a message and exit status
2; the work itself lives in the library so the notebooks can call the same functions.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from workbench import __version__, commands
from workbench.errors import WorkbenchError

__all__ = ["main", "build_parser"]

#: Exit status for bad input or bad usage (argparse uses the same).
EXIT_USAGE = 2


def _command_modules() -> list[ModuleType]:
    names = sorted(
        info.name
        for info in pkgutil.iter_modules(commands.__path__)
        if not info.name.startswith("_")
    )
    return [importlib.import_module(f"{commands.__name__}.{name}") for name in names]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand registered.

    Examples
    --------
    >>> parser = build_parser()
    >>> parser.prog
    'workbench'
    """
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Machine learning for network security: detect, explain, audit, "
        "generate.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bars or info messages"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _command_modules():
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the console script; return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.run(args))
    except (WorkbenchError, FileNotFoundError, IsADirectoryError) as exc:
        print(f"workbench {args.command}: error: {exc}", file=sys.stderr)  # noqa: T201
        return EXIT_USAGE
    except ImportError as exc:
        # An optional extra (pcap, graph, shap) is not installed.
        message = f"workbench {args.command}: error: {exc}"
        print(message, file=sys.stderr)  # noqa: T201
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
