"""Input problems of a command in the reader's language (``--lang vi`` by default for the yearly
commands a planner runs: ``results``, ``forecast``)."""

from __future__ import annotations

import functools

from ..engine.errors import InputError

LANGS = ("vi", "en")


class LocalizedInputError(InputError):
    """An InputError whose message is written in the reader's language (``newresults.error_message``)."""

    def __init__(self, exc: InputError, lang: str):
        self.lang = lang
        super().__init__(exc.issues, context=exc.context)

    def message(self) -> str:
        from ..reports.newresults import error_message

        return error_message(InputError(self.issues, context=self.context), self.lang)


def speaking(fn):
    """Decorate a command so that its input problems are written in ``args.lang``."""

    @functools.wraps(fn)
    def wrapper(args):
        try:
            return fn(args)
        except LocalizedInputError:
            raise
        except InputError as exc:
            raise LocalizedInputError(exc, args.lang if args.lang in LANGS else "en") from None

    return wrapper
