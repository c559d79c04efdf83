"""The DEBUG error page, made safe for request bodies Django has already refused.

A request with more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields in its query string or body (or
too big a body) raises a SuspiciousOperation, which Django answers with 400. Under DEBUG that
answer is the technical error page, which reads request.GET, request.POST and request.FILES
again, raises again, and turns the 400 into a slow 500. This reporter shows them as empty.
"""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.views.debug import ExceptionReporter


class RefusedBodyExceptionReporter(ExceptionReporter):
    def get_traceback_data(self):
        request = self.request
        if request is not None:
            try:
                request.GET  # noqa: B018 - parsing is the test
            except TooManyFieldsSent:
                request.GET = QueryDict()
            try:
                request.POST  # noqa: B018
            except (TooManyFieldsSent, RequestDataTooBig):
                request._post = QueryDict()
                request._files = MultiValueDict()
        return super().get_traceback_data()
