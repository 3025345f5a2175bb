import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Instance } from '../api/types';
import { appendState, type StateSeen } from '../features/instances/cache';

/**
 * What the console learns live in this session: the state of the event stream (GET /events) and the
 * states each instance was seen in (the API has no history route yet).
 */
export type LiveStatus = 'off' | 'connecting' | 'open' | 'reconnecting';

export interface LiveState {
  status: LiveStatus;
  history: Record<string, StateSeen[]>;
}

const initialState: LiveState = { status: 'off', history: {} };

const liveSlice = createSlice({
  name: 'live',
  initialState,
  reducers: {
    liveStatusChanged(state, action: PayloadAction<LiveStatus>) {
      state.status = action.payload;
    },
    instanceSeen(state, action: PayloadAction<{ instance: Instance; at: string }>) {
      const { instance, at } = action.payload;
      state.history[instance.id] = appendState(state.history[instance.id], instance, at);
    },
  },
});

export const { liveStatusChanged, instanceSeen } = liveSlice.actions;
export const liveReducer = liveSlice.reducer;

type WithLive = { live: LiveState };
export const selectLiveStatus = (state: WithLive): LiveStatus => state.live.status;
const NONE: StateSeen[] = [];
export const selectStateHistory = (id: string) => (state: WithLive): StateSeen[] => state.live.history[id] ?? NONE;
