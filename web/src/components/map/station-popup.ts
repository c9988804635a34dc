/** Builds the popup shown when a station point is clicked. DOM nodes with textContent, never HTML strings. */
import type { StationSummary } from '../../api/types';
import {
  CONNECTOR_STATUS_COLORS,
  STATUS_COLORS,
  connectorStatusOf,
  displayStatus,
} from '../../domain/station-status';

export interface PopupText {
  status: (station: StationSummary) => string;
  connector: (connector: StationSummary['connectors'][number]) => string;
  connectorsTitle: string;
  openStation: string;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function badge(text: string, color: string, status: string): HTMLSpanElement {
  const node = el('span', 'badge', text);
  node.style.setProperty('--badge-color', color);
  node.dataset['status'] = status;
  const dot = el('span', 'badge__dot');
  dot.setAttribute('aria-hidden', 'true');
  node.prepend(dot);
  return node;
}

export function buildStationPopup(
  station: StationSummary,
  text: PopupText,
  href: string,
  navigate: (event: MouseEvent) => void,
): HTMLElement {
  const root = el('div', 'station-popup');
  root.dataset['testid'] = 'map-popup';
  root.dataset['stationId'] = station.id;
  const status = displayStatus(station);

  root.append(
    el('strong', 'station-popup__name', station.name),
    el(
      'div',
      'station-popup__meta',
      [station.identity, station.siteName, station.cityName].filter(Boolean).join(' · '),
    ),
    badge(text.status(station), STATUS_COLORS[status], status),
  );

  if (station.connectors.length > 0) {
    root.append(el('div', 'station-popup__title', text.connectorsTitle));
    const list = el('ul', 'station-popup__connectors');
    for (const connector of station.connectors) {
      const item = el('li', '');
      item.append(
        badge(
          text.connector(connector),
          CONNECTOR_STATUS_COLORS[connectorStatusOf(connector)],
          connectorStatusOf(connector),
        ),
      );
      list.append(item);
    }
    root.append(list);
  }

  const link = el('a', 'station-popup__link', text.openStation);
  link.href = href;
  link.dataset['testid'] = 'map-popup-link';
  link.addEventListener('click', navigate);
  root.append(link);
  return root;
}
