// The configurable global shortcut that opens the quick-launch palette.
export interface GlobalShortcutLike {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export interface QuickLaunchShortcut {
  /** Replaces the shortcut (empty: none); returns a message for the person when it cannot be used. */
  apply(accelerator: string): string | undefined;
  dispose(): void;
}

export function createQuickLaunchShortcut(
  globalShortcut: GlobalShortcutLike,
  onPress: () => void,
): QuickLaunchShortcut {
  let registered: string | undefined;

  function release(): void {
    if (registered) globalShortcut.unregister(registered);
    registered = undefined;
  }

  return {
    apply(accelerator) {
      const wanted = accelerator.trim();
      if (wanted === registered) return undefined;
      release();
      if (wanted === '') return undefined;
      let ok: boolean;
      try {
        ok = globalShortcut.register(wanted, onPress);
      } catch {
        return `"${wanted}" is not a shortcut the app understands. Use a form such as CommandOrControl+Shift+Space.`;
      }
      if (!ok) {
        return `"${wanted}" is already used by another program. Choose another quick-launch shortcut in Settings.`;
      }
      registered = wanted;
      return undefined;
    },
    dispose: release,
  };
}
