#!/bin/sh
# Stands in for dmenu in dunst's context menu: appends the offered entries to
# $LIMBER_E2E_DMENU_LOG and prints the first entry containing the text in
# $LIMBER_E2E_PICK_FILE (the choice a test makes).
entries=$(cat)
printf '%s\n---\n' "$entries" >>"$LIMBER_E2E_DMENU_LOG"
pick=$(cat "$LIMBER_E2E_PICK_FILE" 2>/dev/null)
[ -n "$pick" ] && printf '%s\n' "$entries" | grep -F -m1 "$pick"
exit 0
