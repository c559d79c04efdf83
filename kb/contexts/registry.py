"""Which function adds to a page type's template context: looked up along the page's classes.

The context functions register themselves (`kb.contexts.pages`, imported when the app starts);
the models only ask here, so the models never import the functions that query them.
"""

CONTEXTS = {}


def context_for(model):
    """Register the decorated `function(page, request) -> dict` for `model` and its subclasses."""

    def register(function):
        CONTEXTS[model] = function
        return function

    return register


def page_context(page, request) -> dict:
    """The most specific registered context for this page, or nothing."""
    for cls in type(page).__mro__:
        function = CONTEXTS.get(cls)
        if function is not None:
            return function(page, request)
    return {}
