"""The one paging rule of every list: bounded page sizes, page numbers moved into range."""

from django.core.paginator import Paginator

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


class BoundedPaginator(Paginator):
    """A paginator no URL can overload: per_page is capped, page numbers land on a real page.

    `count`, when the caller already knows it, saves the COUNT query over the whole list.
    """

    def __init__(self, object_list, per_page, *args, count=None, **kwargs):
        per_page = min(per_page, MAX_PER_PAGE) if per_page >= 1 else DEFAULT_PER_PAGE
        super().__init__(object_list, per_page, *args, **kwargs)
        if count is not None:
            self.count = count  # fills the cached_property

    def validate_number(self, number):
        """The page asked for, moved into 1..num_pages (past the end means the last page)."""
        try:
            number = int(number)
        except (TypeError, ValueError):
            return 1
        return min(max(number, 1), self.num_pages)
