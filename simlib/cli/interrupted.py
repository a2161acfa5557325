"""How a ``simlib`` command ends when it is interrupted (Ctrl-C or SIGTERM): exit code 130 and one line."""

EXIT = 130  # the exit code of an interrupted command, as a shell gives a process ended by Ctrl-C
MESSAGE = "interrupted: nothing more was written"  # unless the command says what it kept
