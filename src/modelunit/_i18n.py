"""The languages modelunit speaks, and bilingual titles.

>>> from modelunit.criteria import Group
>>> g = Group("security", title_vi="An ninh", title_en="Security")
>>> g.title(), g.title("vi")
('Security', 'An ninh')
>>> Group("order").title("vi")   # no title: the id
'order'
"""

from __future__ import annotations

from typing import Final, Literal, get_args

__all__ = ["LANGUAGES", "Lang", "Titled"]


def __dir__() -> list[str]:
    return __all__


Lang = Literal["en", "vi"]
"""A language of modelunit's texts: English or Vietnamese."""

LANGUAGES: Final[tuple[Lang, ...]] = get_args(Lang)


class Titled:
    """Mixin for records with ``title_vi`` and ``title_en`` and an id (``id`` or ``key``).

    :meth:`title` gives the title in the language asked for, else the other one, else
    the id: every record can be named in either language.
    """

    __slots__ = ()
    title_vi: str
    title_en: str

    def _ident(self) -> str:
        ident = getattr(self, "id", None)
        return str(ident if ident is not None else getattr(self, "key", ""))

    def title(self, lang: Lang = "en") -> str:
        first, second = (
            (self.title_vi, self.title_en) if lang == "vi" else (self.title_en, self.title_vi)
        )
        return first or second or self._ident()
