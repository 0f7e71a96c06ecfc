"""The coordinators' live board: its data (scoped like the bot), who may see it, and its projector links."""
