/** Spread into a counter dialog: no zoom, because at the counter the next key press should not wait for an animation. */
export const NO_MOTION = { transitionName: '', maskTransitionName: '' } as const;
