from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=N&page_size=M`` (at most 200); the page size defaults to
    ``REST_FRAMEWORK["PAGE_SIZE"]``."""

    page_size_query_param = "page_size"
    max_page_size = 200
