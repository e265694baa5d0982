"""The Telegram side of Pestgesprek: handlers, screens, storage and start-up."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pestgesprek")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"
