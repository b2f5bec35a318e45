"""Subcommands of the ``workbench`` console script, one module each.

A module here defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) ->
int``; ``workbench.cli`` finds it by itself. Modules import their heavy dependencies
inside ``run`` so that ``workbench --help`` stays fast.
"""
