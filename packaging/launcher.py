"""The bundle's entry point: the same command line as the installed ``readinglist``."""

import sys

from readinglist.cli import main

if __name__ == "__main__":
    sys.exit(main())
