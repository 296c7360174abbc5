class DomainError(Exception):
    """A rule of the domain refused a write. The message is for the person who tried it, in their language (the
    active one where it is raised: marked with gettext there).

    ``field`` names the input at fault (None for the whole request); the API turns
    it into a 400 naming that field, the pages into a form error.
    """

    def __init__(self, message, *, field=None, code="invalid"):
        message = str(message)  # a lazy text in the language of the moment it is raised
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class NotAllowed(Exception):
    """The user may see the object but not do this to it (403)."""
