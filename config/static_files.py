"""The storage of collected static files (settings.COLLECTED_STATIC): WhiteNoise's compressed manifest storage,
naming the hashed files in pages under DEBUG too.

Django's manifest storage names the plain files while DEBUG is on, so that a developer sees an edited file; but
collected files change only when collected again, and `make run` serves with DEBUG on: its pages would name
`live/participant.js`, which WhiteNoise cannot let a browser keep (max-age=0), instead of
`live/participant.<hash>.js`, which it serves as immutable. A phone on a slow venue network would ask for the
whole app again on every visit."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class CollectedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url(self, name, force=False):
        return super().url(name, force=True)
