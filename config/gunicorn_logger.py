"""gunicorn's access log, with pack share tokens redacted (a token is a credential)."""

from gunicorn.glogging import Logger

from config.logs import PACK_TOKEN


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: PACK_TOKEN.sub("/packs/<token>", value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
