"""The live sockets' user, read where it is needed.

Channels' AuthMiddleware reads every socket's user before the socket starts, in a trip of its own to the
single database thread Channels keeps per process (the session row, then the user). A live socket needs the
user only when it asks to be a facilitator or projector, and it identifies itself in a database thread anyway
(realtime.member.Member.identify). LazyAuthMiddlewareStack gives such sockets a scope["user"] that is read on first use,
synchronously, in whichever thread uses it, in the same trip as the rest of its identification. Touching it
from the event loop would be a database query there, which Django refuses (SynchronousOnlyOperation), so only
sockets that read it in a database thread use it. (A phone's socket goes through no middleware at all: it
reads its device cookie itself, realtime/routing.py.)
"""

from channels.auth import AuthMiddleware, UserLazyObject, get_user
from channels.sessions import CookieMiddleware, SessionMiddleware


class _UserOnFirstUse(UserLazyObject):
    def __init__(self, scope):
        super().__init__()
        self.__dict__["_scope"] = scope  # past LazyObject.__setattr__, which would set it on the user

    def _setup(self):
        self._wrapped = get_user.func(self._scope)  # the function under Channels' database_sync_to_async


class LazyAuthMiddleware(AuthMiddleware):
    def populate_scope(self, scope):
        if "user" not in scope:
            scope["user"] = _UserOnFirstUse(scope)
        super().populate_scope(scope)  # checks that the session is there

    async def resolve_scope(self, scope):
        pass  # read on first use instead


def LazyAuthMiddlewareStack(inner):  # noqa: N802 - named like Channels' AuthMiddlewareStack
    return CookieMiddleware(SessionMiddleware(LazyAuthMiddleware(inner)))
