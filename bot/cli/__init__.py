"""The command line: `python -m bot run | migrate | wilayah | roster | plan | coordinator | report | rehearse`."""
