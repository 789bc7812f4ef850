package dev.baeum.web;

import dev.baeum.content.lab.LabCatalog;
import dev.baeum.content.lesson.LessonCatalog;

/** The course as loaded: its lessons and its labs, which pages link both ways. */
public record Catalogs(LessonCatalog lessons, LabCatalog labs) {
}
