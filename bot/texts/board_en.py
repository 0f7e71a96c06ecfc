"""English texts of the live board: /papan, the 📊 Papan buttons and the menu button."""

TEXTS: dict[str, str] = {
    # rehearse --board
    "rh.board": "Live attendance board (open it in a browser while the rehearsal runs): {url}",
    "board.button": "📊 Board",
    "board.menu_button": "Board",
    "board.disabled": (
        "The attendance board is not enabled on this bot. Ask the operator to fill in the <code>[board]</code> "
        "section of the config file (enabled = true)."
    ),
    "board.link": (
        "<b>Attendance board link — {scope}</b>\n{url}\n\n"
        "Open it in the projector computer's browser. Valid until {until}. Anyone holding this link can see "
        "the board, so do not share it in groups.\nRevoke all your links: <code>/papan cabut</code>"
    ),
    "board.link_mini_app": "In Telegram, open the board with the button below or the ☰ Board menu button.",
    "board.revoked": "Board links revoked: {count}. Screens using them stop updating.",
    "board.revoked_none": "You have no board link that is still valid.",
    "board.unknown_argument": (
        "Unknown command: <code>/papan {argument}</code>. Type <code>/papan</code> for a new link "
        "or <code>/papan cabut</code> to revoke your links."
    ),
}
