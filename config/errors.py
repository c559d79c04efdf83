"""404 and 500 pages in the NHS.UK layout that render with no database at all.

They use `templates/errors/`, which extends no page template and runs no context processor
(those read site settings and menus from the database), so a 500 caused by the database being
down still renders.
"""

import logging

from django.http import HttpResponseNotFound, HttpResponseServerError
from django.template import loader

logger = logging.getLogger("kb.errors")


def page_not_found(request, exception=None):
    html = loader.get_template("404.html").render({"request_path": request.path})
    return HttpResponseNotFound(html)


def server_error(request):
    html = loader.get_template("500.html").render({})
    return HttpResponseServerError(html)
