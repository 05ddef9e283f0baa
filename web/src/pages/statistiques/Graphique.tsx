/**
 * A chart.js chart. Only the components used here are registered (bars, line, doughnut), which
 * keeps chart.js's part of the statistics bundle small. The canvas is an image for assistive
 * technologies: its data is always in the table that follows it (RGAA 1.x, 4.x).
 */
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration
} from "chart.js";
import { useEffect, useRef } from "react";

Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip
);

/** DSFR illustrative colours (contrast ≥ 3:1 on white for the adjacent segments' borders). */
export const COULEURS = [
  "#000091",
  "#e1000f",
  "#009081",
  "#c3992a",
  "#a558a0",
  "#4b9f6c",
  "#ce614a",
  "#417dc4",
  "#716043",
  "#3a3a3a",
  "#b34000",
  "#27a658"
];

// Charts resize to the A4 page before printing and back afterwards.
const charts = new Set<Chart>();
if (typeof window !== "undefined") {
  const resizeAll = () => {
    for (const c of charts) c.resize();
  };
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
}

export type GraphiqueType = "barres" | "barres-horizontales" | "ligne" | "anneau";

export function Graphique({
  type,
  labels,
  values,
  serie,
  description,
  hauteur = 260
}: {
  type: GraphiqueType;
  labels: string[];
  values: number[];
  /** Name of the series (legend, tooltip). */
  serie: string;
  /** Accessible name of the image: what it shows, and where its data is. */
  description: string;
  hauteur?: number;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<Chart | null>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const anneau = type === "anneau";
    const config: ChartConfiguration = {
      type: anneau ? "doughnut" : type === "ligne" ? "line" : "bar",
      data: {
        labels,
        datasets: [
          {
            label: serie,
            data: values,
            backgroundColor: anneau ? labels.map((_, i) => COULEURS[i % COULEURS.length]) : "#000091",
            borderColor: anneau ? "#ffffff" : "#000091",
            borderWidth: anneau ? 2 : type === "ligne" ? 2 : 0,
            pointRadius: type === "ligne" ? 3 : undefined,
            tension: type === "ligne" ? 0.2 : undefined
          }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: type === "barres-horizontales" ? "y" : "x",
        plugins: {
          legend: { display: anneau, position: "bottom", labels: { boxWidth: 12 } },
          tooltip: { enabled: true }
        },
        scales: anneau
          ? {}
          : {
              x: { beginAtZero: true, ticks: { precision: 0, autoSkip: true, maxRotation: 0 } },
              y: { beginAtZero: true, ticks: { precision: 0, autoSkip: type !== "barres-horizontales" } }
            }
      }
    };
    const chart = new Chart(canvas, config);
    chartRef.current = chart;
    charts.add(chart);
    return () => {
      charts.delete(chart);
      chart.destroy();
      chartRef.current = null;
    };
  }, [type, labels.join("\u0000"), values.join(","), serie]); // eslint-disable-line react-hooks/exhaustive-deps

  // Horizontal bars: one line per label, so the height follows their number.
  const h = type === "barres-horizontales" ? Math.max(hauteur, 40 + labels.length * 26) : hauteur;
  return (
    <div className="coop-graphique" style={{ height: h }}>
      <canvas ref={canvasRef} role="img" aria-label={description} />
    </div>
  );
}
