"""``python -m dicomstd`` runs the ``dicomstd`` command."""

import sys

from dicomstd.cli import main

sys.exit(main())
