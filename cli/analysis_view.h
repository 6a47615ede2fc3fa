// Terminal views of projects, workspace results, outputs, export requests and releases.
//
// Every view renders the JSON form (zone/analysis_json.h), which is what the API sends
// and what local operator mode builds from the same zone values, so both modes print the
// same thing (and `--json` prints the JSON itself).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace sz::cli {

std::string JsonText(const nlohmann::json& j, const char* key);  // "" when absent or null
int64_t JsonInt(const nlohmann::json& j, const char* key);       // 0 when absent

void RenderProject(const nlohmann::json& project);
void RenderProjects(const nlohmann::json& projects);  // an array
// A statement's result: a table of rows, or the statement's message.
void RenderStatement(const nlohmann::json& result);
void RenderTabulation(const nlohmann::json& tabulation);
void RenderRegression(const nlohmann::json& fit);
void RenderOutputInfo(const nlohmann::json& output);
void RenderOutputs(const nlohmann::json& outputs);  // an array
void RenderOutputContent(const nlohmann::json& content);
// `cells`: every cell's findings too.
void RenderRequest(const nlohmann::json& request, bool cells);
void RenderRequests(const nlohmann::json& requests);  // an array
void RenderRelease(const nlohmann::json& release);

}  // namespace sz::cli
