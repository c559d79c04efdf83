"""gunicorn's access log, with share and status tokens redacted (a token is a credential)."""

from gunicorn.glogging import Logger

from config.logs import redact_tokens


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact_tokens(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
